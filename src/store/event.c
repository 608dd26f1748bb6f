/* event.c - appending to the hash-chained event log (see include/ballot/audit.h). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include "store/store.h"


int event_render(bt_buf *b, int64_t seq, bt_time at, const char *actor,
		 const char *kind, const char *circular, const char *cprev,
		 const char *payload)
{
	char ts[BT_TIME_LEN];
	bt_time_format(at, ts);
	bt_buf_addc(b, '{');
	bt_json_kv_int(b, "seq", seq, 1);
	bt_json_kv_str(b, "at", ts, 0);
	bt_json_kv_str(b, "actor", actor, 0);
	bt_json_kv_str(b, "kind", kind, 0);
	bt_json_kv_str(b, "circular", circular, 0);
	if (circular && cprev)
		bt_json_kv_str(b, "cprev", cprev, 0);
	if (payload && *payload) {
		bt_buf_addc(b, ',');
		bt_buf_adds(b, payload);
	}
	return bt_buf_addc(b, '}');
}

int event_cprev(bt_db *db, const char *circular, int64_t seq, char out[65], bt_err *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_EVENT_CIRCULAR_PREV, e);
	if (!st)
		return BT_EFAIL;
	/* bound without a copy: a failed copy would look up no circular and
	 * link the event to nothing (found by the SQLite-allocation faults) */
	if (db_bind_kept(st, 1, circular) != SQLITE_OK || sqlite3_bind_int64(st, 2, seq) != SQLITE_OK)
		return db_fail(db, e, "reading the event log");
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		db_col_copy(st, 0, out, 65);
	else
		memcpy(out, ZERO_HASH, 65);
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? BT_OK : db_fail(db, e, "reading the event log");
}

/* The last event's number, hash and time (0, ZERO_HASH, 0 when none). */
static int event_last_at(bt_db *db, int64_t *seq, char hash[65], bt_time *at, bt_err *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_EVENT_LAST, e);
	if (!st)
		return BT_EFAIL;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*seq = sqlite3_column_int64(st, 0);
		db_col_copy(st, 1, hash, 65);
		*at = sqlite3_column_int64(st, 2);
	} else if (rc == SQLITE_DONE) {
		*seq = 0;
		memcpy(hash, ZERO_HASH, 65);
		*at = 0;
	} else {
		return db_fail(db, e, "reading the event log");
	}
	sqlite3_reset(st);
	return BT_OK;
}

int event_last(bt_db *db, int64_t *seq, char hash[65], bt_err *e)
{
	bt_time at;
	return event_last_at(db, seq, hash, &at, e);
}

int event_clock(bt_db *db, bt_time *now, bt_err *e)
{
	int64_t seq;
	char hash[65];
	bt_time at;
	if (event_last_at(db, &seq, hash, &at, e))
		return BT_EFAIL;
	if (*now < at)
		*now = at;
	return BT_OK;
}

int event_actor_check(const char *actor, bt_err *e)
{
	if (actor && bt_text_hidden(actor, 1))
		return bt_name_check("actor", actor, 200, e);
	if (!actor || !*actor || strlen(actor) > 200 || !bt_text_clean(actor, 0))
		return bt_failf(e, BT_R_INPUT, "actor", "the actor name is empty, too long, not UTF-8 or has control characters");
	return BT_OK;
}

int event_reserve(bt_db *db, const char *actor, event_slot *slot, bt_err *e)
{
	int rc = event_actor_check(actor, e);
	if (rc)
		return rc;
	if (event_last(db, &slot->seq, slot->prev, e))
		return BT_EFAIL;
	/* The first event of a transaction: never reuse an acknowledged number. */
	if (!db->wit_seq && witness_guard(db, slot->seq, slot->prev, e))
		return BT_EFAIL;
	slot->seq++;
	slot->actor = actor;
	return BT_OK;
}

int event_write(bt_db *db, const event_slot *slot, const char *kind, const char *circular,
		bt_time at, const char *payload, char hash_out[65], bt_buf *body_out, bt_err *e)
{
	char hash[65], cprev[65];
	bt_buf body = BT_BUF_INIT, chained = BT_BUF_INIT;
	if (circular && event_cprev(db, circular, slot->seq, cprev, e))
		return BT_EFAIL;
	event_render(&body, slot->seq, at, slot->actor, kind, circular, cprev, payload);
	bt_buf_adds(&chained, slot->prev);
	bt_buf_addc(&chained, '\n');
	bt_buf_add(&chained, body.data, body.len);
	if (body.failed || chained.failed) {
		bt_buf_release(&body);
		bt_buf_release(&chained);
		return bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
	}
	sha256_hex(chained.data, chained.len, hash);
	bt_buf_release(&chained);
	int rc = BT_EFAIL;
	/* an event is only ever written inside its write's transaction */
	if ((rc = db_in_transaction(db, e))) {
		bt_buf_release(&body);
		return rc;
	}
	sqlite3_stmt *st = db_stmt(db, SQL_EVENT_INSERT, e);
	if (st) {
		/* every value lives until the statement has run: bound without a
		 * copy, so no allocation can leave a NULL in a column of the
		 * chain (a NULL circular once went in under a SQLite fault) */
		int b = sqlite3_bind_int64(st, 1, slot->seq) | sqlite3_bind_int64(st, 2, at) |
			db_bind_kept(st, 3, slot->actor) | db_bind_kept(st, 4, kind) |
			db_bind_kept(st, 5, circular) |
			sqlite3_bind_text(st, 6, body.data, (int)body.len, SQLITE_STATIC) |
			db_bind_kept(st, 7, slot->prev) | db_bind_kept(st, 8, hash);
		rc = b != SQLITE_OK ? db_fail(db, e, "appending an event")
				    : db_exec_stmt(db, st, "appending an event", e);
		sqlite3_clear_bindings(st);
	}
	if (!rc) {
		db->wit_seq = slot->seq;
		memcpy(db->wit_hash, hash, 65);
	}
	if (!rc && hash_out)
		memcpy(hash_out, hash, 65);
	if (!rc && body_out) {
		bt_buf_release(body_out);
		*body_out = body;
	} else {
		bt_buf_release(&body);
	}
	return rc;
}

int event_append(bt_db *db, const char *kind, const char *circular,
		 const char *actor, bt_time at, const char *payload, bt_err *e)
{
	event_slot slot;
	int rc = event_reserve(db, actor, &slot, e);
	return rc ? rc : event_write(db, &slot, kind, circular, at, payload, NULL, NULL, e);
}

int witness_check(bt_db *db, int64_t w, const char wh[65], char *out, size_t n, bt_err *e)
{
	int64_t last = 0;
	char name[4200];
	witness_name(db->path, name, sizeof name);
	if (w == 0) {
		snprintf(out, n, "none yet (no '%s')", name);
		return 1;
	}
	char h[65];
	if (event_last(db, &last, h, e)) {
		snprintf(out, n, "could not be compared: %s", e->msg);
		return -1;
	}
	if (w > last) {
		snprintf(out, n, "events %" PRId64 "..%" PRId64 " acknowledged but missing (the database ends at "
			 "event %" PRId64 ")", last + 1, w, last);
		return 0;
	}
	sqlite3_stmt *st = db_stmt(db, SQL_EVENT_HASH_AT, e);
	if (!st) {
		snprintf(out, n, "could not be compared: %s", e->msg);
		return -1;
	}
	sqlite3_bind_int64(st, 1, w);
	int rc = sqlite3_step(st);
	int same = rc == SQLITE_ROW && strcmp((const char *)sqlite3_column_text(st, 0), wh) == 0;
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		db_fail(db, e, "reading the acknowledged event");
		sqlite3_reset(st);
		snprintf(out, n, "could not be compared: %s", e->msg);
		return -1;
	}
	sqlite3_reset(st);
	if (!same) {
		snprintf(out, n, "event %" PRId64 " is not the one acknowledged (its hash differs from the witness)", w);
		return 0;
	}
	snprintf(out, n, "ok (event %" PRId64 " acknowledged, %" PRId64 " in the database)", w, last);
	return 1;
}

int bt_db_witness(bt_db *db, char *out, size_t n)
{
	int64_t w;
	char wh[65];
	bt_err e = { 0 };
	/* the witness first, then the snapshot it is compared with: it only
	 * names events committed before it was written */
	if (witness_read(db, &w, wh, &e)) {
		snprintf(out, n, "%s", e.msg);
		return 0;
	}
	int snap = db_read_begin(db);
	int ok = witness_check(db, w, wh, out, n, &e);
	db_read_end(db, snap);
	return ok == 1;
}
