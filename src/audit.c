/* audit.c - verifying the hash-chained event log (include/ballot/audit.h). */
#include <string.h>
#include "internal.h"

#define ZERO_HASH "0000000000000000000000000000000000000000000000000000000000000000"

/* Records the first problem found (the lowest event number wins). */
static void flag(bt_audit_report *r, int64_t seq, const char *what)
{
	if (r->first_bad == 0 || seq < r->first_bad) {
		r->first_bad = seq;
		snprintf(r->problem, sizeof r->problem, "%s", what);
	}
}

/* Checks that the reply recorded by event seq still matches its body. */
static int check_reply(bt_db *db, int64_t seq, bt_time at, const char *actor, const char *kind,
		       const char *circular, const char *body, bt_audit_report *r, bt_err *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_REPLY_BY_EVENT, e);
	if (!st)
		return BT_EFAIL;
	sqlite3_bind_int64(st, 1, seq);
	int step = sqlite3_step(st);
	int64_t id = step == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	if (step != SQLITE_ROW) {
		flag(r, seq, "the reply this event recorded is missing");
		return BT_OK;
	}
	bt_buf p = BT_BUF_INIT, want = BT_BUF_INIT;
	int rc = reply_payload(db, id, &p, e);
	if (!rc) {
		event_render(&want, seq, at, actor, kind, circular, bt_buf_str(&p));
		if (strcmp(bt_buf_str(&want), body) != 0)
			flag(r, seq, "the stored reply or its attachment list differs from what the event recorded");
	}
	bt_buf_release(&p);
	bt_buf_release(&want);
	return rc;
}

int bt_audit_verify(bt_db *db, bt_audit_report *r, bt_err *e)
{
	memset(r, 0, sizeof *r);
	/* The chain itself. Statements are prepared separately so the reply
	 * checks can use the cache while this one is stepping. */
	sqlite3_stmt *ev;
	if (sqlite3_prepare_v2(db->h, SQL_EVENTS_ALL, -1, &ev, NULL) != SQLITE_OK)
		return db_fail(db, e, "reading the event log");
	char prev[65] = ZERO_HASH;
	int64_t expect = 1;
	int rc = BT_OK, step;
	bt_buf chained = BT_BUF_INIT, head = BT_BUF_INIT;
	while ((step = sqlite3_step(ev)) == SQLITE_ROW) {
		int64_t seq = sqlite3_column_int64(ev, 0);
		bt_time at = sqlite3_column_int64(ev, 1);
		const char *actor = (const char *)sqlite3_column_text(ev, 2);
		const char *kind = (const char *)sqlite3_column_text(ev, 3);
		const char *circular = (const char *)sqlite3_column_text(ev, 4);
		const char *body = (const char *)sqlite3_column_text(ev, 5);
		const char *prev_hash = (const char *)sqlite3_column_text(ev, 6);
		const char *hash = (const char *)sqlite3_column_text(ev, 7);
		char got[65];
		r->events++;
		if (!actor || !kind || !body || !prev_hash || !hash) {
			flag(r, seq, "a field of the event is missing");
			break;
		}
		if (seq != expect) {
			flag(r, seq < expect ? seq : expect, "events are missing before this one");
			break;
		}
		expect++;
		if (strcmp(prev_hash, prev) != 0) {
			flag(r, seq, "its previous-hash does not match the event before it");
			break;
		}
		bt_buf_reset(&chained);
		bt_buf_adds(&chained, prev);
		bt_buf_addc(&chained, '\n');
		bt_buf_adds(&chained, body);
		if (chained.failed) {
			rc = bt_fail(e, BT_EFAIL, "out of memory");
			break;
		}
		sha256_hex(chained.data, chained.len, got);
		if (strcmp(got, hash) != 0) {
			flag(r, seq, "its content does not match its hash");
			break;
		}
		/* The columns must say what the hashed body says. */
		bt_buf_reset(&head);
		event_render(&head, seq, at, actor, kind, circular, NULL);
		if (head.len < 1 || strncmp(body, head.data, head.len - 1) != 0) {
			flag(r, seq, "its time, actor, kind or circular differs from its hashed content");
			break;
		}
		if (strcmp(kind, "reply") == 0 || strcmp(kind, "withdrawal") == 0) {
			if ((rc = check_reply(db, seq, at, actor, kind, circular, body, r, e)))
				break;
		}
		memcpy(prev, hash, 65);
	}
	if (!rc && step != SQLITE_ROW && step != SQLITE_DONE)
		rc = db_fail(db, e, "reading the event log");
	sqlite3_finalize(ev);
	bt_buf_release(&chained);
	bt_buf_release(&head);
	if (rc)
		return rc;
	if (r->events)
		memcpy(r->head, prev, 65);

	/* Every reply row must belong to a reply event. */
	sqlite3_stmt *rs;
	if (sqlite3_prepare_v2(db->h, SQL_REPLIES_ALL, -1, &rs, NULL) != SQLITE_OK)
		return db_fail(db, e, "reading replies");
	while ((step = sqlite3_step(rs)) == SQLITE_ROW) {
		int64_t seq = sqlite3_column_int64(rs, 1);
		sqlite3_stmt *k = db_stmt(db, SQL_EVENT_KIND, e);
		if (!k) {
			rc = BT_EFAIL;
			break;
		}
		sqlite3_bind_int64(k, 1, seq);
		int ok = sqlite3_step(k) == SQLITE_ROW;
		const char *kind = ok ? (const char *)sqlite3_column_text(k, 0) : NULL;
		ok = kind && (strcmp(kind, "reply") == 0 || strcmp(kind, "withdrawal") == 0);
		sqlite3_reset(k);
		if (!ok)
			flag(r, seq, "a reply row has no reply event");
	}
	sqlite3_finalize(rs);
	if (rc)
		return rc;

	/* Every attachment's content must match its recorded SHA-256 and size. */
	sqlite3_stmt *as;
	if (sqlite3_prepare_v2(db->h, SQL_ATTACHMENTS_ALL, -1, &as, NULL) != SQLITE_OK)
		return db_fail(db, e, "reading attachments");
	while ((step = sqlite3_step(as)) == SQLITE_ROW) {
		int64_t seq = sqlite3_column_int64(as, 2);
		const char *sha = (const char *)sqlite3_column_text(as, 3);
		int64_t size = sqlite3_column_int64(as, 4);
		const void *blob = sqlite3_column_blob(as, 5);
		int n = sqlite3_column_bytes(as, 5);
		char got[65];
		sha256_hex(blob ? blob : "", (size_t)n, got);
		if (!sha || strcmp(got, sha) != 0 || size != n)
			flag(r, seq, "an attachment's content differs from its recorded SHA-256");
	}
	if (step != SQLITE_DONE)
		rc = db_fail(db, e, "reading attachments");
	sqlite3_finalize(as);
	return rc;
}
