/* decision.c - the plenary's decision on a draft, §9.5 (include/ballot/decision.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "domain/domain.h"

#define RES1 "WTSA Res. 1 "

bt_date bt_more_time_until(bt_date meeting_end)
{
	return meeting_end + 28;
}

const char *bt_decision_kind_name(bt_decision_kind k)
{
	return k == BT_DECISION_APPROVED ? "approved" : k == BT_DECISION_MORE_TIME ? "more-time"
		: k == BT_DECISION_NOT_APPROVED ? "not-approved" : NULL;
}

static bt_decision_kind kind_parse(const char *s)
{
	for (int k = BT_DECISION_APPROVED; k <= BT_DECISION_NOT_APPROVED; k++)
		if (s && strcmp(s, bt_decision_kind_name((bt_decision_kind)k)) == 0)
			return (bt_decision_kind)k;
	return 0;
}

/* The sequence of §9.5 as data: from which state each decision may be
 * taken, when its effective date may fall, and who may be named. */
typedef enum step_window {
	AT_MEETING,        /* meeting start .. meeting end */
	IN_FOUR_WEEKS,     /* the previous decision's date .. meeting end + 28 */
	AFTER_FOUR_WEEKS   /* after meeting end + 28 */
} step_window;

typedef struct sequence_step {
	const char *from;       /* the draft's state */
	bt_decision_kind kind;
	step_window when;
	int askers_only;        /* only members that asked for more time */
	int record_by_end;      /* recorded no later than the end of the four weeks */
	const char *why;        /* said when the date is outside the meeting */
} sequence_step;

static const sequence_step steps[] = {
	{ BT_STATE_READY, BT_DECISION_APPROVED, AT_MEETING, 0, 0,
	  "the plenary decides at the meeting (" RES1 "§9.5.3)" },
	{ BT_STATE_READY, BT_DECISION_NOT_APPROVED, AT_MEETING, 0, 0,
	  "the plenary decides at the meeting (" RES1 "§9.5.3)" },
	{ BT_STATE_READY, BT_DECISION_MORE_TIME, AT_MEETING, 0, 1,
	  "more time is asked during the meeting only (" RES1 "§9.5.5)" },
	/* §9.5.5: within four weeks from the end of the meeting a member that
	 * asked for more time may formally oppose; unless it does, the
	 * approval goes ahead once they have passed. */
	{ BT_STATE_MORE_TIME, BT_DECISION_NOT_APPROVED, IN_FOUR_WEEKS, 1, 0, NULL },
	{ BT_STATE_MORE_TIME, BT_DECISION_APPROVED, AFTER_FOUR_WEEKS, 0, 0, NULL },
};

static const sequence_step *step_find(const char *state, bt_decision_kind kind)
{
	for (size_t i = 0; i < sizeof steps / sizeof *steps; i++)
		if (strcmp(steps[i].from, state) == 0 && steps[i].kind == kind)
			return &steps[i];
	return NULL;
}

/* Parses a decision's stored detail (the inner part of a JSON object). */
static int detail_parse(const char *frag, bt_jv **out, bt_err *e)
{
	bt_buf b = BT_BUF_INIT;
	bt_buf_addf(&b, "{%s}", frag ? frag : "");
	int rc = b.failed ? bt_failf(e, BT_R_NOMEM, NULL, "out of memory")
			  : bt_json_parse(bt_buf_str(&b), b.len, "decision", out, e);
	if (rc && e) /* the recorded detail, not an input field */
		e->field[0] = '\0';
	bt_buf_release(&b);
	return rc;
}

/* The effective date a detail records; a decision recorded before dates
 * were takes effect on the day it was recorded. */
static bt_date detail_date(const bt_jv *o, bt_time decided_at)
{
	const char *s = bt_jv_str(o, "date");
	bt_date d;
	bt_err ignore;
	if (s && bt_date_parse(s, "date", &d, &ignore) == BT_OK)
		return d;
	return bt_time_date(decided_at);
}

/* The effective date of the draft's last decision, or BT_DATE_NONE. */
static int last_decision_date(bt_db *db, int64_t draft_id, bt_date *out, bt_err *e)
{
	*out = BT_DATE_NONE;
	sqlite3_stmt *st = db_stmt(db, SQL_DECISION_LAST, e);
	if (!st)
		return BT_EFAIL;
	sqlite3_bind_int64(st, 1, draft_id);
	int rc = BT_OK, step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		bt_jv *o = NULL;
		bt_time at = sqlite3_column_int64(st, 1);
		if ((rc = detail_parse((const char *)sqlite3_column_text(st, 0), &o, e)) == BT_OK)
			*out = detail_date(o, at);
		bt_jv_free(o);
	} else if (step != SQLITE_DONE) {
		rc = db_fail(db, e, "reading the last decision");
	}
	sqlite3_reset(st);
	return rc;
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
	db_bind_text(st, 2, needle);
	int yes = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	return yes;
}

/* *none = 1 when member has no reply counted on the draft by the deadline
 * (it never replied, replied late only, or withdrew). */
static int no_reply(bt_db *db, const bt_consultation *c, int64_t draft_id, const char *member,
		    int *none, bt_err *e)
{
	count_row *rows;
	size_t n;
	int rc = count_load_member(db, draft_id, member, &rows, &n, e);
	if (rc)
		return rc;
	*none = count_resolve(rows, n, c->deadline, BT_INF_TIME, NULL) < 0;
	free(rows);
	return BT_OK;
}

/* Checks the effective date day against the window of step s. */
static int check_window(const sequence_step *s, const bt_consultation *c, const bt_draft *d, bt_date day,
			int has_date, bt_date today, bt_date prev, bt_err *e)
{
	char ds[BT_DATE_LEN], ms[BT_DATE_LEN], me[BT_DATE_LEN], until[BT_DATE_LEN], x[BT_DATE_LEN];
	const char *label = has_date ? "" : " (today)";
	bt_date end = bt_more_time_until(c->meeting_end);
	bt_date_format(day, ds);
	bt_date_format(c->meeting_start, ms);
	bt_date_format(c->meeting_end, me);
	bt_date_format(end, until);
	switch (s->when) {
	case AT_MEETING:
		if (day < c->meeting_start || day > c->meeting_end)
			return bt_failf(e, BT_R_CONFLICT, "date", "%s%s is %s the study group meeting (%s to %s); %s",
					ds, label, day < c->meeting_start ? "before" : "after", ms, me, s->why);
		if (s->record_by_end && today > end) {
			bt_date_format(today, x);
			return bt_failf(e, BT_R_CONFLICT,
					s->kind == BT_DECISION_MORE_TIME ? "more_time"
					: s->kind == BT_DECISION_APPROVED ? "approved" : "not_approved",
					"the four weeks after the meeting ended on %s (" RES1 "§9.5.5); more time asked at the meeting can no longer be recorded (today is %s)",
					until, x);
		}
		return BT_OK;
	case IN_FOUR_WEEKS:
		if (prev != BT_DATE_NONE && day < prev) {
			bt_date_format(prev, x);
			return bt_failf(e, BT_R_CONFLICT, "date", "%s%s is before the more-time decision of %s on %s",
					ds, label, x, d->rec);
		}
		if (day > end)
			return bt_failf(e, BT_R_CONFLICT, "date",
					"%s%s is after the four weeks for formal opposition, which ended on %s (" RES1 "§9.5.5); the approval goes ahead",
					ds, label, until);
		return BT_OK;
	case AFTER_FOUR_WEEKS:
		if (day <= end) {
			bt_date_format(end + 1, x);
			return bt_failf(e, BT_R_CONFLICT, "date",
					"%s%s is not after the four weeks after the meeting, which end on %s (" RES1 "§9.5.5): %s can be approved from %s; until then only a Member State that asked for more time may oppose",
					ds, label, until, d->rec, x);
		}
		return BT_OK;
	}
	return BT_OK;
}

int decision_spec_check(const bt_decision_spec *s, bt_err *e)
{
	if (!bt_decision_kind_name(s->kind))
		return bt_failf(e, BT_R_INPUT, NULL,
				"decision: none given ({approved}, {more_time} or {not_approved})");
	if (s->kind == BT_DECISION_MORE_TIME && s->n_codes == 0)
		return bt_failf(e, BT_R_INPUT, "more_time", "name the Member States that asked for more time");
	if (s->kind == BT_DECISION_NOT_APPROVED && s->n_codes == 0)
		return bt_failf(e, BT_R_INPUT, "opposed_by", "name the Member States that opposed approval");
	return BT_OK;
}

/* A decision, carried from its check to its insert. */
typedef struct decision_new {
	const bt_decision_spec *s;
	const char *kind;           /* s->kind's name */
	bt_consultation c;          /* loaded by the check */
	bt_draft d;
	const sequence_step *sp;    /* the step of §9.5 the decision takes */
	bt_date day;                /* its effective date */
	char ds[BT_DATE_LEN];       /* day, printed */
	char until[BT_DATE_LEN];    /* the end of the four weeks after the meeting */
	bt_buf detail;              /* its row's detail, which is its event's payload */
} decision_new;

/* The decision's effective date (given, else today) into x->day: not in
 * the future and inside its step's window. */
static int decision_when(bt_db *db, decision_new *x, bt_time now, bt_err *e)
{
	const bt_decision_spec *s = x->s;
	bt_date today = bt_time_date(now), prev = BT_DATE_NONE;
	x->day = s->has_date ? s->date : today;
	bt_date_format(x->day, x->ds);
	bt_date_format(bt_more_time_until(x->c.meeting_end), x->until);
	if (x->day > today) {
		char ts[BT_DATE_LEN];
		bt_date_format(today, ts);
		return bt_failf(e, BT_R_CONFLICT, "date", "%s is in the future (today is %s)", x->ds, ts);
	}
	int rc = BT_OK;
	if (x->sp->when == IN_FOUR_WEEKS)
		rc = last_decision_date(db, x->d.id, &prev, e);
	return rc ? rc : check_window(x->sp, &x->c, &x->d, x->day, s->has_date, today, prev, e);
}

/* May code be named by the decision: in a regional group's electorate,
 * and, where only they may oppose, one that asked for more time? */
static int decision_member_may(bt_db *db, const decision_new *x, const char *field, const char *code,
			       bt_err *e)
{
	/* §9.2.1: a regional group's consultation is its members' alone, at
	 * the meeting as in the replies. */
	if (x->c.custom_electorate) {
		int in = electorate_has(db, x->c.id, code, e);
		if (in < 0)
			return BT_EFAIL;
		if (!in)
			return bt_failf(e, BT_R_INPUT, field,
					"%s is not in the electorate of circular %s (a regional group, " RES1 "§9.2.1); only its members may ask for more time, oppose or enter a reservation", code, x->c.circular);
	}
	if (x->sp->askers_only && !more_time_asked(db, x->d.id, code))
		return bt_failf(e, BT_R_INPUT, field,
				"%s did not ask for more time on %s; only those that did may oppose, until %s (" RES1 "§9.5.5)", code, x->d.rec, x->until);
	return BT_OK;
}

/* Checks the i-th member the decision names, resolved into code: a Member
 * State on the decision's date, named once, allowed, with its text where
 * one is needed (a reservation's) and a clean one. */
static int decision_member_check(bt_db *db, const decision_new *x, size_t i, char code[4], bt_err *e)
{
	const bt_decision_spec *s = x->s;
	const char *field = s->kind == BT_DECISION_APPROVED ? "reservation"
		: s->kind == BT_DECISION_MORE_TIME ? "more_time" : "opposed_by";
	bt_date since;
	int rc = member_lookup(db, field, s->codes[i], code, &since, e);
	if (rc)
		return rc;
	if (since != BT_DATE_NONE && since > x->day)
		return bt_failf(e, BT_R_INPUT, field, "%s is not a Member State on the decision date", code);
	for (size_t j = 0; j < i; j++) {
		char other[4];
		bt_err ignore;
		if (bt_member_resolve(db, field, s->codes[j], other, &ignore) == BT_OK && strcmp(other, code) == 0)
			return bt_failf(e, BT_R_INPUT, field, "%s is named twice", code);
	}
	if ((rc = decision_member_may(db, x, field, code, e)))
		return rc;
	const char *note = s->notes ? s->notes[i] : NULL;
	if (s->kind == BT_DECISION_APPROVED && (!note || !*note))
		return bt_failf(e, BT_R_INPUT, "reservation", "%s has no text (CODE:TEXT)", code);
	if (note && (!bt_text_clean(note, 0) || strlen(note) > 2000))
		return bt_failf(e, BT_R_INPUT, field, "the text for %s is unclean or too long", code);
	return BT_OK;
}

/* The members the decision names, checked, as a JSON list into x->detail. */
static int decision_members(bt_db *db, decision_new *x, bt_err *e)
{
	const bt_decision_spec *s = x->s;
	bt_buf *p = &x->detail;
	bt_buf_addc(p, '[');
	for (size_t i = 0; i < s->n_codes; i++) {
		char code[4];
		int rc, none = 0;
		if ((rc = decision_member_check(db, x, i, code, e)))
			return rc;
		if (s->kind == BT_DECISION_NOT_APPROVED && (rc = no_reply(db, &x->c, x->d.id, code, &none, e)))
			return rc;
		const char *note = s->notes ? s->notes[i] : NULL;
		bt_buf_adds(p, i ? ",{" : "{");
		bt_json_kv_str(p, "member", code, 1);
		if (note)
			bt_json_kv_str(p, "note", note, 0);
		/* allowed (it may oppose at the meeting), but said */
		if (none)
			bt_json_kv_bool(p, "no_reply", 1, 0);
		bt_buf_addc(p, '}');
	}
	bt_buf_addc(p, ']');
	return BT_OK;
}

/* The check step of a decision: the draft, the step of §9.5 its state
 * allows, the date, and the members named, rendered into x->detail. */
static int decision_allowed(bt_db *db, db_write *w, bt_err *e)
{
	decision_new *x = w->ctx;
	const bt_decision_spec *s = x->s;
	int rc;
	if ((rc = consultation_load(db, s->circular, &x->c, e)) ||
	    (rc = draft_find_in(db, &x->c, s->rec, &x->d, e)))
		return rc;
	w->circular = x->c.circular;
	if (!(x->sp = step_find(x->d.state, s->kind)))
		return bt_failf(e, BT_R_CONFLICT, "draft", "%s is %s; the %s decision needs %s", x->d.rec, x->d.state,
				x->kind, s->kind == BT_DECISION_MORE_TIME ? "ready-for-approval"
									 : "ready-for-approval or more-time");
	if ((rc = decision_when(db, x, w->now, e)))
		return rc;
	bt_buf *p = &x->detail;
	bt_json_kv_str(p, "draft", x->d.rec, 1);
	bt_json_kv_str(p, "decision", x->kind, 0);
	bt_json_kv_str(p, "date", x->ds, 0);
	bt_json_kv_str(p, "from", x->d.state, 0);
	bt_json_key(p, s->kind == BT_DECISION_APPROVED ? "reservations"
		       : s->kind == BT_DECISION_MORE_TIME ? "more_time" : "opposed_by", 0);
	if ((rc = decision_members(db, x, e)))
		return rc;
	if (s->kind == BT_DECISION_MORE_TIME)
		bt_json_kv_str(p, "oppose_by", x->until, 0);
	return p->failed ? bt_failf(e, BT_R_NOMEM, NULL, "out of memory") : BT_OK;
}

/* The insert step of a decision: its row, the draft's new state, and its
 * detail as the event's payload. */
static int decision_insert(bt_db *db, db_write *w, bt_err *e)
{
	decision_new *x = w->ctx;
	sqlite3_stmt *st = db_stmt(db, SQL_DECISION_INSERT, e);
	if (!st)
		return BT_EFAIL;
	sqlite3_bind_int64(st, 1, x->d.id);
	db_bind_text(st, 2, x->kind);
	db_bind_text(st, 3, bt_buf_str(&x->detail));
	sqlite3_bind_int64(st, 4, w->now);
	db_bind_text(st, 5, w->actor);
	sqlite3_bind_int64(st, 6, w->ev.seq);
	int rc = db_exec_stmt(db, st, "saving the decision", e);
	if (rc)
		return rc;
	if (!(st = db_stmt(db, SQL_DRAFT_SET_STATE, e)))
		return BT_EFAIL;
	sqlite3_bind_int64(st, 1, x->d.id);
	db_bind_text(st, 2, x->kind);
	if ((rc = db_exec_stmt(db, st, "updating the draft", e)))
		return rc;
	bt_buf_add(&w->payload, x->detail.data, x->detail.len);
	return BT_OK;
}

int decision_record(bt_db *db, const bt_decision_spec *s, const char *actor, bt_time now,
		    int64_t *event_seq, bt_err *e)
{
	int rc = decision_spec_check(s, e);
	if (rc)
		return rc;
	decision_new x = { .s = s, .kind = bt_decision_kind_name(s->kind), .detail = BT_BUF_INIT };
	db_write w = { .kind = EVK_DECISION, .actor = actor, .now = now, .ctx = &x };
	rc = db_write_run(db, &w, decision_allowed, decision_insert, e);
	if (!rc && event_seq)
		*event_seq = w.ev.seq;
	bt_buf_release(&x.detail);
	bt_draft_clear(&x.d);
	return rc;
}

/* ---- reading decisions back ---- */

static void decision_clear(bt_decision *x)
{
	for (size_t i = 0; i < x->n; i++)
		free(x->members[i].note);
	free(x->members);
}

void bt_decision_list_free(bt_decision_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		decision_clear(&l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* Fills x's kind, dates and members from its stored detail. */
static int decision_fill(bt_decision *x, const char *kind, const char *frag, bt_err *e)
{
	bt_jv *o = NULL;
	int rc = detail_parse(frag, &o, e);
	if (rc)
		return rc;
	x->kind = kind_parse(kind);
	const char *from = bt_jv_str(o, "from");
	snprintf(x->from, sizeof x->from, "%s", from ? from : "");
	x->date = detail_date(o, x->recorded_at);
	x->oppose_by = BT_DATE_NONE;
	const char *ob = bt_jv_str(o, "oppose_by");
	bt_err ignore;
	if (ob && bt_date_parse(ob, "oppose_by", &x->oppose_by, &ignore) != BT_OK)
		x->oppose_by = BT_DATE_NONE;
	const bt_jv *list = bt_jv_get(o, x->kind == BT_DECISION_APPROVED ? "reservations"
				      : x->kind == BT_DECISION_MORE_TIME ? "more_time" : "opposed_by");
	if (list && list->type == BT_JARR && list->n) {
		if (!(x->members = calloc(list->n, sizeof *x->members)))
			rc = bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
		for (size_t i = 0; !rc && i < list->n; i++) {
			const bt_jv *m = &list->items[i];
			const char *code = bt_jv_str(m, "member"), *note = bt_jv_str(m, "note");
			const bt_jv *nr = bt_jv_get(m, "no_reply");
			bt_decision_member *dm = &x->members[x->n++];
			snprintf(dm->code, sizeof dm->code, "%s", code ? code : "");
			dm->no_reply = nr && nr->type == BT_JBOOL && nr->boolean;
			if (note && !(dm->note = strdup(note)))
				rc = bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
		}
	}
	bt_jv_free(o);
	return rc;
}

static int decisions_get(bt_db *db, const char *circular, bt_time as_of, bt_decision_list *out,
			 bt_err *e)
{
	bt_consultation c;
	int rc = consultation_load(db, circular, &c, e);
	if (rc)
		return rc;
	sqlite3_stmt *st = db_stmt(db, SQL_HISTORY_DECISIONS, e);
	if (!st)
		return BT_EFAIL;
	sqlite3_bind_int64(st, 1, c.id);
	size_t cap = 0;
	int step;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		bt_time at = sqlite3_column_int64(st, 4);
		if (at > as_of)
			continue;
		if (array_reserve(&out->v, &cap, out->n + 1, sizeof *out->v)) {
			rc = bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
			break;
		}
		bt_decision *x = &out->v[out->n++];
		memset(x, 0, sizeof *x);
		x->seq = sqlite3_column_int64(st, 0);
		db_col_copy(st, 1, x->rec, sizeof x->rec);
		x->recorded_at = at;
		char kind[32];
		db_col_copy(st, 2, kind, sizeof kind);
		if ((rc = decision_fill(x, kind, (const char *)sqlite3_column_text(st, 3), e)))
			break;
	}
	sqlite3_reset(st);
	if (!rc && step != SQLITE_DONE)
		rc = db_fail(db, e, "reading decisions");
	return rc;
}

int decisions_read(bt_db *db, const char *circular, bt_time as_of, bt_decision_list *out,
		   bt_err *e)
{
	out->v = NULL;
	out->n = 0;
	int rc = decisions_get(db, circular, as_of, out, e);
	if (rc)
		bt_decision_list_free(out);
	return rc;
}
