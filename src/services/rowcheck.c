/* rowcheck.c - the rows an event wrote, rendered again and compared with
 * the event: for every kind by the kinds table (domain/kinds.c), for the
 * whole log by the audit, and for one consultation before anything reads or
 * decides on it (include/ballot/audit.h; services floor). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "services/services.h"

/* Records the first problem found (the lowest event number wins). */
void audit_flag(bt_audit_report *r, int64_t seq, const char *what)
{
	if (r->first_bad == 0 || seq < r->first_bad) {
		r->first_bad = seq;
		snprintf(r->problem, sizeof r->problem, "%s", what);
	}
}

/* flag, naming the row (table, id) when it is the first problem. */
void audit_flag_row(bt_audit_report *r, int64_t seq, const char *what, const char *table, int64_t id)
{
	audit_flag(r, seq, what);
	if (r->first_bad == seq && !r->table[0]) {
		snprintf(r->table, sizeof r->table, "%s", table);
		r->row = id;
	}
}

static const char *table_of(const char *want)
{
	const event_kind *k = event_kind_find(want);
	return k && k->table ? k->table : "replies";
}

/* An event rendered again is compared with its body only when the rendering
 * is whole: an allocation that failed is an error, not a damaged row. */
static int render_whole(const bt_buf *p, const bt_buf *expect, int oom, bt_err *e)
{
	return p->failed || expect->failed || oom ? bt_failf(e, BT_R_NOMEM, NULL, "out of memory") : BT_OK;
}

/* db_col_strdup, noting in *oom a non-NULL column it could not copy. */
static char *col_dup(sqlite3_stmt *st, int i, int *oom)
{
	char *s = db_col_strdup(st, i);
	if (!s && sqlite3_column_type(st, i) != SQLITE_NULL)
		*oom = 1;
	return s;
}

/* Renders what the body of event seq must be, from the row it recorded;
 * flags the event when the row is missing or differs. */
static int check_row(bt_db *db, int64_t seq, bt_time at, const char *actor, const char *kind,
		     const char *cprev, const char *body, bt_audit_report *r, bt_err *e)
{
	const char *want = strcmp(kind, "withdrawal") == 0 ? "reply" : kind;
	sqlite3_stmt *st = db_stmt(db, SQL_ROW_BY_EVENT, e);
	if (!st)
		return BT_EFAIL;
	sqlite3_bind_int64(st, 1, seq);
	int64_t id = 0;
	int found = 0, step;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *type = (const char *)sqlite3_column_text(st, 0);
		if (type && strcmp(type, want) == 0) {
			id = sqlite3_column_int64(st, 1);
			found++;
		}
	}
	sqlite3_reset(st);
	if (step != SQLITE_DONE)
		return db_fail(db, e, "reading the rows behind an event");
	if (found != 1) {
		char what[96];
		snprintf(what, sizeof what, "the %s this event recorded is missing", want);
		audit_flag_row(r, seq, what, table_of(want), 0);
		return BT_OK;
	}
	bt_buf p = BT_BUF_INIT, expect = BT_BUF_INIT;
	char *circular = NULL, *who = NULL;
	bt_time when = at;
	int rc = BT_OK, oom = 0, row = SQLITE_ROW;
	if (strcmp(want, "consultation") == 0) {
		rc = consultation_payload(db, id, &p, e);
		if (!rc && (st = db_stmt(db, SQL_CONSULTATION_ROW, e))) {
			sqlite3_bind_int64(st, 1, id);
			if ((row = sqlite3_step(st)) == SQLITE_ROW) {
				circular = col_dup(st, 0, &oom);
				when = sqlite3_column_int64(st, 9);
			}
			sqlite3_reset(st);
		}
	} else if (strcmp(want, "draft") == 0) {
		rc = draft_payload(db, id, &p, e);
		if (!rc && (st = db_stmt(db, SQL_DRAFT_ROW, e))) {
			sqlite3_bind_int64(st, 1, id);
			if ((row = sqlite3_step(st)) == SQLITE_ROW)
				circular = col_dup(st, 7, &oom);
			sqlite3_reset(st);
		}
	} else if (strcmp(want, "decision") == 0) {
		if ((st = db_stmt(db, SQL_DECISION_ROW, e))) {
			sqlite3_bind_int64(st, 1, id);
			if ((row = sqlite3_step(st)) == SQLITE_ROW) {
				bt_buf_adds(&p, (const char *)sqlite3_column_text(st, 0));
				when = sqlite3_column_int64(st, 1);
				who = col_dup(st, 2, &oom);
				circular = col_dup(st, 3, &oom);
				if (!sqlite3_column_int(st, 4))
					audit_flag_row(r, seq, "the stored decision's kind differs from what the event recorded",
						 "decisions", id);
			}
			sqlite3_reset(st);
		}
	} else {
		rc = reply_payload(db, id, &p, e);
		if (!rc && (st = db_stmt(db, SQL_REPLY_ROW, e))) {
			sqlite3_bind_int64(st, 1, id);
			if ((row = sqlite3_step(st)) == SQLITE_ROW) {
				const char *choice = (const char *)sqlite3_column_text(st, 3);
				if (choice && (strcmp(choice, "withdraw") == 0) != (strcmp(kind, "withdrawal") == 0))
					audit_flag_row(r, seq, "the stored reply's choice differs from what the event recorded",
						 "replies", id);
				when = sqlite3_column_int64(st, 9);
				who = col_dup(st, 10, &oom);
				circular = col_dup(st, 11, &oom);
			}
			sqlite3_reset(st);
		}
	}
	if (!rc && !st)
		rc = BT_EFAIL;
	if (!rc && row != SQLITE_ROW && row != SQLITE_DONE)
		rc = db_fail(db, e, "reading the row behind an event");
	if (!rc) {
		event_render(&expect, seq, when, who ? who : actor, kind, circular, cprev, bt_buf_str(&p));
		rc = render_whole(&p, &expect, oom, e);
	}
	if (!rc) {
		if (strcmp(bt_buf_str(&expect), body) != 0) {
			char what[128];
			snprintf(what, sizeof what, "the stored %s differs from what the event recorded%s", want,
				 strcmp(want, "reply") == 0 ? " (or its attachments, time, recorder or circular)" : "");
			audit_flag_row(r, seq, what, table_of(want), id);
		}
	}
	free(circular);
	free(who);
	bt_buf_release(&p);
	bt_buf_release(&expect);
	return rc;
}

/* An auth event (codes, accounts, certificates) rendered again from the rows
 * it recorded. */
static int check_auth(bt_db *db, int64_t seq, const char *actor, const char *kind,
		      const char *cprev, const char *body, bt_audit_report *r, bt_err *e)
{
	bt_buf p = BT_BUF_INIT, expect = BT_BUF_INIT;
	char circular[BT_ID_MAX + 1];
	bt_time when = 0;
	int found = 0;
	int rc = auth_payload(db, seq, kind, &p, circular, &when, &found, e);
	/* the digests of the stored hashes close the body (events since
	 * schema 6); check_hashes compares them with the rows */
	const char *dig = strstr(body, strcmp(kind, "codes-issue") == 0 ? ",\"hash_digests\":{"
							      : ",\"password_digest\":\"");
	if (!rc && !found) {
		audit_flag(r, seq, "the reply codes, account or certificate this event recorded are missing");
	} else if (!rc) {
		event_render(&expect, seq, when, actor, kind, circular[0] ? circular : NULL, cprev,
			     bt_buf_str(&p));
		const char *x = bt_buf_str(&expect);
		size_t xl = strlen(x);
		rc = render_whole(&p, &expect, 0, e);
		if (!rc && (dig ? xl < 1 || (size_t)(dig - body) != xl - 1 || strncmp(x, body, xl - 1) != 0
			    : strcmp(x, body) != 0))
			audit_flag(r, seq, "the stored reply codes, account or certificate differ from what the event recorded");
	}
	bt_buf_release(&p);
	bt_buf_release(&expect);
	return rc;
}

/* A calendar or deadline event rendered again from the rows it recorded. */
static int check_calendar(bt_db *db, int64_t seq, const char *actor, const char *kind,
			  const char *cprev, const char *body, bt_audit_report *r, bt_err *e)
{
	bt_buf p = BT_BUF_INIT, expect = BT_BUF_INIT;
	char circular[BT_ID_MAX + 1] = "", by[201] = "";
	bt_time when = 0;
	int found = 0, deadline = strcmp(kind, "deadline") == 0;
	int rc = deadline ? deadline_payload(db, seq, &p, circular, &when, by, sizeof by, &found, e)
			  : calendar_payload(db, seq, kind, &p, &when, &found, e);
	if (!rc && !found) {
		audit_flag_row(r, seq, deadline ? "the deadline change this event recorded is missing"
					  : "the closed days this event recorded are missing",
			 deadline ? "deadline_changes" : "closed_days", 0);
	} else if (!rc) {
		event_render(&expect, seq, when, deadline ? by : actor, kind, circular[0] ? circular : NULL,
			     cprev, bt_buf_str(&p));
		rc = render_whole(&p, &expect, 0, e);
		if (!rc && strcmp(bt_buf_str(&expect), body) != 0)
			audit_flag_row(r, seq, deadline ? "the stored deadline change differs from what the event recorded"
						  : "the stored closed days differ from what the event recorded",
				 deadline ? "deadline_changes" : "closed_days", 0);
	}
	bt_buf_release(&p);
	bt_buf_release(&expect);
	return rc;
}

/* A member event (init, members-import, members-baseline) must end with the
 * former names and member changes it wrote, rendered again from their rows.
 * Events written before members were recorded (schema 5) list none and own
 * no row. */
static int check_member_event(bt_db *db, int64_t seq, const char *body, bt_audit_report *r, bt_err *e)
{
	bt_buf p = BT_BUF_INIT;
	int found = 0;
	int rc = member_payload(db, seq, &p, &found, e);
	if (rc) {
		bt_buf_release(&p);
		return rc;
	}
	if (!strstr(body, "\"changes\":[")) {
		if (found)
			audit_flag(r, seq, "member rows claim this event, which recorded none");
	} else {
		bt_buf_addc(&p, '}');
		size_t bl = strlen(body);
		if (p.failed)
			rc = bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
		else if (bl < p.len + 1 || body[bl - p.len - 1] != ',' ||
			 strcmp(body + bl - p.len, p.data) != 0)
			audit_flag(r, seq, "the stored members or former names differ from what the event recorded");
	}
	bt_buf_release(&p);
	return rc;
}

int event_rows_check(bt_db *db, int64_t seq, bt_time at, const char *actor, const char *kind,
		     const char *cprev, const char *body, bt_audit_report *r, bt_err *e)
{
	const event_kind *k = event_kind_find(kind);
	switch (k ? k->rows : EK_ROWS_NONE) {
	case EK_ROWS_ROW:
		return check_row(db, seq, at, actor, kind, cprev, body, r, e);
	case EK_ROWS_AUTH:
		return check_auth(db, seq, actor, kind, cprev, body, r, e);
	case EK_ROWS_MEMBER:
		return check_member_event(db, seq, body, r, e);
	case EK_ROWS_CALENDAR:
	case EK_ROWS_DEADLINE:
		return check_calendar(db, seq, actor, kind, cprev, body, r, e);
	case EK_ROWS_NONE:
		break;
	}
	return BT_OK;
}

/* The events of circular that wrote rows (its consultation, drafts,
 * decisions, deadline changes), each rendered again from its row; its
 * replies and withdrawals (the bulk) by one query on what a decision reads
 * of them (member, draft, choice, time). Stops at the first that differs. */
static int audit_circular(bt_db *db, const char *circular, bt_audit_report *r, bt_err *e)
{
	sqlite3_stmt *ev = db_stmt(db, SQL_CIRCULAR_REPLIES_ASTRAY, e);
	if (!ev)
		return BT_EFAIL;
	sqlite3_bind_text(ev, 1, circular, -1, SQLITE_TRANSIENT);
	int step = sqlite3_step(ev);
	if (step == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(ev, 0);
		audit_flag_row(r, sqlite3_column_int64(ev, 1),
			 id ? "its member, draft, choice or time differs from what the event recorded"
			    : "the reply this event recorded is missing", "replies", id);
	}
	sqlite3_reset(ev);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		return db_fail(db, e, "reading the consultation's replies");
	if (sqlite3_prepare_v2(db->h, SQL_CIRCULAR_EVENTS, -1, &ev, NULL) != SQLITE_OK)
		return db_fail(db, e, "reading the consultation's events");
	sqlite3_bind_text(ev, 1, circular, -1, SQLITE_TRANSIENT);
	int rc = BT_OK;
	step = SQLITE_DONE;
	while (!r->first_bad && (step = sqlite3_step(ev)) == SQLITE_ROW) {
		int64_t seq = sqlite3_column_int64(ev, 0);
		bt_time at = sqlite3_column_int64(ev, 1);
		const char *actor = (const char *)sqlite3_column_text(ev, 2);
		const char *kind = (const char *)sqlite3_column_text(ev, 3);
		const char *body = (const char *)sqlite3_column_text(ev, 4);
		const char *circ = (const char *)sqlite3_column_text(ev, 5);
		char cprev[65] = { 0 };
		if (!actor || !kind || !body || !circ) {
			audit_flag(r, seq, "a field of the event is missing");
			break;
		}
		r->events++;
		if ((rc = event_cprev(db, circ, seq, cprev, e)))
			break;
		if (event_kind_is(kind, EK_DECIDES))
			rc = event_rows_check(db, seq, at, actor, kind, cprev, body, r, e);
		if (rc)
			break;
	}
	if (!rc && !r->first_bad && step != SQLITE_DONE)
		rc = db_fail(db, e, "reading the consultation's events");
	sqlite3_finalize(ev);
	return rc;
}

int bt_audit_circular(bt_db *db, const char *circular, bt_err *e)
{
	if (db->auditing || !circular)
		return BT_OK;
	bt_audit_report r;
	memset(&r, 0, sizeof r);
	int snap = db_read_begin(db);
	/* one command reads a consultation several times (tally, decisions,
	 * drafts): nothing changed since it was found sound, nothing to do */
	int64_t version = -1, changes = sqlite3_total_changes64(db->h);
	sqlite3_stmt *dv = db_stmt(db, SQL_DATA_VERSION, NULL);
	if (dv && sqlite3_step(dv) == SQLITE_ROW)
		version = sqlite3_column_int64(dv, 0);
	if (dv)
		sqlite3_reset(dv);
	if (version >= 0 && version == db->checked.data_version && changes == db->checked.changes &&
	    strcmp(db->checked.circular, circular) == 0) {
		db_read_end(db, snap);
		return BT_OK;
	}
	db->auditing = 1;
	int rc = audit_circular(db, circular, &r, e);
	db->auditing = 0;
	db_read_end(db, snap);
	if (!rc && !r.first_bad && version >= 0 && strlen(circular) < sizeof db->checked.circular) {
		snprintf(db->checked.circular, sizeof db->checked.circular, "%s", circular);
		db->checked.data_version = version;
		db->checked.changes = changes;
	}
	if (rc || !r.first_bad)
		return rc;
	char row[48] = "";
	if (r.row)
		snprintf(row, sizeof row, " row %lld", (long long)r.row);
	return bt_failf(e, BT_R_DAMAGED, NULL,
			"circular %s: the %s%s differs from event %lld that wrote it (%s); the database is damaged: "
			"run `{cmd:check}`", circular, r.table[0] ? r.table : "events", row, (long long)r.first_bad,
			r.problem);
}
