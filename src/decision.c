/* decision.c - the plenary's decision on a draft, §9.5 (include/ballot/decision.h). */
#include <stdlib.h>
#include <string.h>
#include "internal.h"

bt_date bt_more_time_until(bt_date meeting_end)
{
	return meeting_end + 28;
}

static const char *kind_name(bt_decision_kind k)
{
	return k == BT_DECISION_APPROVED ? "approved" : k == BT_DECISION_MORE_TIME ? "more-time"
		: k == BT_DECISION_NOT_APPROVED ? "not-approved" : NULL;
}

/* 1 when member asked for more time on the draft (a more-time decision
 * lists it). */
static int more_time_asked(bt_db *db, int64_t draft_id, const char *member)
{
	sqlite3_stmt *st = db_stmt(db, SQL_MORE_TIME_ASKED, NULL);
	if (!st)
		return 0;
	char needle[64];
	snprintf(needle, sizeof needle, "%%{\"member\":\"%s\"%%", member);
	sqlite3_bind_int64(st, 1, draft_id);
	sqlite3_bind_text(st, 2, needle, -1, SQLITE_TRANSIENT);
	int yes = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	return yes;
}

int bt_decide(bt_db *db, const bt_decision_spec *s, const char *actor, bt_time now,
	      int64_t *event_seq, bt_err *e)
{
	const char *kind = kind_name(s->kind);
	if (!kind)
		return bt_fail(e, BT_EINPUT, "decision: none given (--approved, --more-time or --not-approved)");
	if (s->kind == BT_DECISION_MORE_TIME && s->n_codes == 0)
		return bt_fail(e, BT_EINPUT, "--more-time: name the Member States that asked for more time");
	if (s->kind == BT_DECISION_NOT_APPROVED && s->n_codes == 0)
		return bt_fail(e, BT_EINPUT, "--opposed-by: name the Member States that opposed approval");
	int rc = db_begin(db, e);
	if (rc)
		return rc;
	bt_consultation c;
	bt_draft d;
	memset(&d, 0, sizeof d);
	bt_buf p = BT_BUF_INIT;
	if ((rc = consultation_load(db, s->circular, &c, e)) || (rc = draft_find_in(db, &c, s->rec, &d, e)))
		goto fail;
	int from_ready = strcmp(d.state, BT_STATE_READY) == 0;
	int from_more = strcmp(d.state, BT_STATE_MORE_TIME) == 0;
	if (!(from_ready || (from_more && s->kind != BT_DECISION_MORE_TIME))) {
		rc = bt_fail(e, BT_EINPUT, "--draft: %s is %s; the %s decision needs %s", d.rec, d.state, kind,
			     s->kind == BT_DECISION_MORE_TIME ? "ready-for-approval"
							      : "ready-for-approval or more-time");
		goto fail;
	}
	if (bt_time_date(now) < c.meeting_start) {
		char ms[BT_DATE_LEN];
		bt_date_format(c.meeting_start, ms);
		rc = bt_fail(e, BT_EINPUT, "decision: the study group meeting starts on %s; it decides then", ms);
		goto fail;
	}
	if (from_more && s->kind == BT_DECISION_NOT_APPROVED) {
		char until[BT_DATE_LEN];
		bt_date until_d = bt_more_time_until(c.meeting_end);
		bt_date_format(until_d, until);
		if (bt_time_date(now) > until_d) {
			rc = bt_fail(e, BT_EINPUT,
				     "--opposed-by: the four weeks for formal opposition ended on %s (§9.5.5); the approval goes ahead",
				     until);
			goto fail;
		}
		for (size_t i = 0; i < s->n_codes; i++) {
			char code[4];
			if ((rc = bt_member_resolve(db, "--opposed-by", s->codes[i], code, e)))
				goto fail;
			if (!more_time_asked(db, d.id, code)) {
				rc = bt_fail(e, BT_EINPUT,
					     "--opposed-by: %s did not ask for more time on %s; only those that did may oppose now (§9.5.5)",
					     code, d.rec);
				goto fail;
			}
		}
	}
	bt_json_kv_str(&p, "draft", d.rec, 1);
	bt_json_kv_str(&p, "decision", kind, 0);
	bt_json_kv_str(&p, "from", d.state, 0);
	bt_json_key(&p, s->kind == BT_DECISION_APPROVED ? "reservations"
			: s->kind == BT_DECISION_MORE_TIME ? "more_time" : "opposed_by", 0);
	bt_buf_addc(&p, '[');
	for (size_t i = 0; i < s->n_codes; i++) {
		char code[4];
		const char *field = s->kind == BT_DECISION_APPROVED ? "--reservation"
			: s->kind == BT_DECISION_MORE_TIME ? "--more-time" : "--opposed-by";
		bt_date since;
		if ((rc = member_lookup(db, field, s->codes[i], code, &since, e)))
			goto fail;
		if (since != BT_DATE_NONE && since > bt_time_date(now)) {
			rc = bt_fail(e, BT_EINPUT, "%s: %s is not a Member State on the decision date", field, code);
			goto fail;
		}
		for (size_t j = 0; j < i; j++) {
			char other[4];
			bt_err ignore;
			if (bt_member_resolve(db, field, s->codes[j], other, &ignore) == BT_OK &&
			    strcmp(other, code) == 0) {
				rc = bt_fail(e, BT_EINPUT, "%s: %s is named twice", field, code);
				goto fail;
			}
		}
		const char *note = s->notes ? s->notes[i] : NULL;
		if (s->kind == BT_DECISION_APPROVED && (!note || !*note)) {
			rc = bt_fail(e, BT_EINPUT, "--reservation: %s has no text (CODE:TEXT)", code);
			goto fail;
		}
		if (note && (!bt_text_clean(note, 0) || strlen(note) > 2000)) {
			rc = bt_fail(e, BT_EINPUT, "%s: the text for %s is unclean or too long", field, code);
			goto fail;
		}
		bt_buf_adds(&p, i ? ",{" : "{");
		bt_json_kv_str(&p, "member", code, 1);
		if (note)
			bt_json_kv_str(&p, "note", note, 0);
		bt_buf_addc(&p, '}');
	}
	bt_buf_addc(&p, ']');
	if (s->kind == BT_DECISION_MORE_TIME) {
		char until[BT_DATE_LEN];
		bt_date_format(bt_more_time_until(c.meeting_end), until);
		bt_json_kv_str(&p, "oppose_by", until, 0);
	}
	if (p.failed) {
		rc = bt_fail(e, BT_EFAIL, "out of memory");
		goto fail;
	}
	event_slot ev;
	if ((rc = event_reserve(db, actor, &ev, e)))
		goto fail;
	sqlite3_stmt *st = db_stmt(db, SQL_DECISION_INSERT, e);
	if (!st) {
		rc = BT_EFAIL;
		goto fail;
	}
	sqlite3_bind_int64(st, 1, d.id);
	db_bind_text(st, 2, kind);
	db_bind_text(st, 3, bt_buf_str(&p));
	sqlite3_bind_int64(st, 4, now);
	db_bind_text(st, 5, actor);
	sqlite3_bind_int64(st, 6, ev.seq);
	if ((rc = db_exec_stmt(db, st, "saving the decision", e)))
		goto fail;
	if (!(st = db_stmt(db, SQL_DRAFT_SET_STATE, e))) {
		rc = BT_EFAIL;
		goto fail;
	}
	sqlite3_bind_int64(st, 1, d.id);
	db_bind_text(st, 2, kind);
	if ((rc = db_exec_stmt(db, st, "updating the draft", e)) ||
	    (rc = event_write(db, &ev, "decision", c.circular, now, bt_buf_str(&p), NULL, NULL, e)) ||
	    (rc = db_commit(db, e)))
		goto fail;
	if (event_seq)
		*event_seq = ev.seq;
	bt_buf_release(&p);
	bt_draft_clear(&d);
	return BT_OK;
fail:
	db_rollback(db);
	bt_buf_release(&p);
	bt_draft_clear(&d);
	return rc;
}
