/* close.c - closing a consultation: its tally frozen into each draft's state
 * (include/ballot/consultation.h; services floor, above the tally). */
#include <stdio.h>
#include <string.h>
#include "services/services.h"

/* A consultation's closing, carried from its check to its insert. */
typedef struct closing {
	const char *circular;
	bt_consultation c;             /* loaded by the check */
	char deadline[BT_TIME_LEN];    /* c's deadline, printed */
	bt_tally tally;                /* the outcomes to freeze */
	int tallied;                   /* tally holds them (bt_tally_free it) */
} closing;

/* The check step of a closing: an open consultation past its deadline,
 * with drafts, and its tally at now. */
static int consultation_closable(bt_db *db, db_write *w, bt_err *e)
{
	closing *x = w->ctx;
	int rc = consultation_load(db, x->circular, &x->c, e);
	if (rc)
		return rc;
	if (x->c.closed) {
		char t[BT_TIME_LEN];
		bt_time_format(x->c.closed_at, t);
		return bt_failf(e, BT_R_CONFLICT, "circular", "consultation '%s' was already closed at %s",
				x->circular, t);
	}
	bt_time_format(x->c.deadline, x->deadline);
	if (w->now <= x->c.deadline)
		return bt_failf(e, BT_R_CONFLICT, "circular", "consultation '%s' cannot close before its deadline %s",
				x->circular, x->deadline);
	if ((rc = bt_tally_compute(db, x->circular, w->now, &x->tally, e)))
		return rc;
	x->tallied = 1;
	if (x->tally.n == 0)
		return bt_failf(e, BT_R_CONFLICT, "circular", "consultation '%s' has no drafts to close", x->circular);
	return BT_OK;
}

/* Freezes each draft's outcome in t into its state: ready-for-approval
 * when it proceeds, else not-ready. */
static int outcomes_freeze(bt_db *db, const bt_tally *t, bt_err *e)
{
	for (size_t i = 0; i < t->n; i++) {
		const bt_draft_tally *d = &t->drafts[i];
		int proceed = strcmp(d->if_closed_now, "proceed") == 0;
		sqlite3_stmt *st = db_stmt(db, SQL_DRAFT_SET_STATE, e);
		if (!st)
			return BT_EFAIL;
		sqlite3_bind_int64(st, 1, d->draft_id);
		db_bind_text(st, 2, proceed ? BT_STATE_READY : BT_STATE_NOT_READY);
		db_bind_text(st, 3, d->if_closed_now);
		int rc = db_exec_stmt(db, st, "freezing an outcome", e);
		if (rc)
			return rc;
	}
	return BT_OK;
}

/* The close event's payload into p: the deadline, the rule, and each
 * draft's frozen outcome with its counts. */
static void close_payload(const closing *x, bt_buf *p)
{
	bt_json_kv_str(p, "deadline", x->deadline, 1);
	bt_json_kv_str(p, "rule", x->tally.rule, 0);
	bt_json_key(p, "drafts", 0);
	bt_buf_addc(p, '[');
	for (size_t i = 0; i < x->tally.n; i++) {
		const bt_draft_tally *d = &x->tally.drafts[i];
		bt_buf_addf(p, "%s{", i ? "," : "");
		bt_json_kv_str(p, "rec", d->rec, 1);
		bt_json_kv_str(p, "outcome", d->if_closed_now, 0);
		bt_json_kv_int(p, "replies", d->replies, 0);
		bt_json_kv_int(p, "support", d->support, 0);
		bt_json_kv_int(p, "not_authorize", d->not_authorize, 0);
		bt_json_kv_int(p, "late", d->late, 0);
		bt_buf_addc(p, '}');
	}
	bt_buf_addc(p, ']');
}

/* The insert step of a closing: the outcomes frozen, the consultation
 * closed at now, the payload rendered from the tally. */
static int consultation_close_rows(bt_db *db, db_write *w, bt_err *e)
{
	closing *x = w->ctx;
	int rc = outcomes_freeze(db, &x->tally, e);
	if (rc)
		return rc;
	sqlite3_stmt *st = db_stmt(db, SQL_CONSULTATION_CLOSE, e);
	if (!st)
		return BT_EFAIL;
	sqlite3_bind_int64(st, 1, x->c.id);
	sqlite3_bind_int64(st, 2, w->now);
	if ((rc = db_exec_stmt(db, st, "closing the consultation", e)))
		return rc;
	close_payload(x, &w->payload);
	return BT_OK;
}

int bt_consultation_close(bt_db *db, const char *circular, const char *actor,
			  bt_time now, bt_tally *frozen, bt_err *e)
{
	closing x = { .circular = circular };
	db_write w = { .kind = EVK_CLOSE, .circular = circular, .actor = actor, .now = now, .ctx = &x };
	int rc = db_write_run(db, &w, consultation_closable, consultation_close_rows, e);
	if (!rc && frozen)
		*frozen = x.tally;
	else if (x.tallied)
		bt_tally_free(&x.tally);
	return rc;
}
