/* close.c - closing a consultation: its tally frozen into each draft's state
 * (include/ballot/consultation.h; services floor, above the tally). */
#include <stdio.h>
#include <string.h>
#include "services/services.h"

int bt_consultation_close(bt_db *db, const char *circular, const char *actor,
			  bt_time now, bt_tally *frozen, bt_err *e)
{
	int rc = db_begin(db, e);
	if (rc)
		return rc;
	bt_consultation c;
	char t[BT_TIME_LEN];
	if ((rc = consultation_load(db, circular, &c, e)))
		goto fail;
	if (c.closed) {
		bt_time_format(c.closed_at, t);
		rc = bt_failf(e, BT_R_CONFLICT, "circular", "consultation '%s' was already closed at %s", circular, t);
		goto fail;
	}
	bt_time_format(c.deadline, t);
	if (now <= c.deadline) {
		rc = bt_failf(e, BT_R_CONFLICT, "circular",
			      "consultation '%s' cannot close before its deadline %s",
			      circular, t);
		goto fail;
	}
	bt_tally tally;
	if ((rc = bt_tally_compute(db, circular, now, &tally, e)))
		goto fail;
	if (tally.n == 0) {
		bt_tally_free(&tally);
		rc = bt_failf(e, BT_R_CONFLICT, "circular", "consultation '%s' has no drafts to close", circular);
		goto fail;
	}
	bt_buf p = BT_BUF_INIT;
	bt_json_kv_str(&p, "deadline", t, 1);
	bt_json_kv_str(&p, "rule", tally.rule, 0);
	bt_json_key(&p, "drafts", 0);
	bt_buf_addc(&p, '[');
	for (size_t i = 0; i < tally.n && !rc; i++) {
		bt_draft_tally *d = &tally.drafts[i];
		int proceed = strcmp(d->if_closed_now, "proceed") == 0;
		sqlite3_stmt *st = db_stmt(db, SQL_DRAFT_SET_STATE, e);
		if (!st) {
			rc = BT_EFAIL;
			break;
		}
		sqlite3_bind_int64(st, 1, d->draft_id);
		db_bind_text(st, 2, proceed ? BT_STATE_READY : BT_STATE_NOT_READY);
		db_bind_text(st, 3, d->if_closed_now);
		rc = db_exec_stmt(db, st, "freezing an outcome", e);
		bt_buf_addf(&p, "%s{", i ? "," : "");
		bt_json_kv_str(&p, "rec", d->rec, 1);
		bt_json_kv_str(&p, "outcome", d->if_closed_now, 0);
		bt_json_kv_int(&p, "replies", d->replies, 0);
		bt_json_kv_int(&p, "support", d->support, 0);
		bt_json_kv_int(&p, "not_authorize", d->not_authorize, 0);
		bt_json_kv_int(&p, "late", d->late, 0);
		bt_buf_addc(&p, '}');
	}
	bt_buf_addc(&p, ']');
	if (!rc) {
		sqlite3_stmt *st = db_stmt(db, SQL_CONSULTATION_CLOSE, e);
		if (!st)
			rc = BT_EFAIL;
		else {
			sqlite3_bind_int64(st, 1, c.id);
			sqlite3_bind_int64(st, 2, now);
			rc = db_exec_stmt(db, st, "closing the consultation", e);
		}
	}
	if (!rc)
		rc = p.failed ? bt_failf(e, BT_R_NOMEM, NULL, "out of memory")
			      : event_append(db, EVK_CLOSE, circular, actor, now, bt_buf_str(&p), e);
	bt_buf_release(&p);
	if (rc || (rc = db_commit(db, e))) {
		bt_tally_free(&tally);
		goto fail;
	}
	if (frozen)
		*frozen = tally;
	else
		bt_tally_free(&tally);
	return BT_OK;
fail:
	db_rollback(db);
	return rc;
}
